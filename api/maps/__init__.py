"""The coordinators' map: GeoJSON of places, households, placements and storage, with privacy by role."""
