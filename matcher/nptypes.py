"""Array type aliases shared by the matcher's numpy code (for ``mypy --strict``).

Why not one alias for everything: pair arrays are int32 (they are the largest arrays, and
half the width halves the memory traffic), while index arrays from numpy are int64, and a
function that accepts both says so with :data:`IntArray`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.signedinteger[Any]]
"""Any signed integer array (int16/int32 pair columns or int64 indices)."""
I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
Bool = npt.NDArray[np.bool_]
F64 = npt.NDArray[np.float64]
