"""Capacity planning: a simulator profile from a municipality's history, and plan-capacity as a background job."""
