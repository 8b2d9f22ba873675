"""`simulate(stream, policy)`: a policy by name or object, run over the stream's days."""

from __future__ import annotations

from .engine import Policy, run_policy
from .policies import make_policy
from .stream import SimResult, Stream
from .world import World


def simulate(stream: Stream, policy: Policy | str, *, world: World | None = None) -> SimResult:
    """Run ``policy`` (one of :data:`~matcher.simulate.policies.POLICIES` or a Policy object)."""
    return run_policy(stream, make_policy(policy) if isinstance(policy, str) else policy, world=world)
