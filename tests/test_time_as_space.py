"""Time as space: window construction and the lecture's no-overlap example."""

from __future__ import annotations

import numpy as np
import pytest

from srnlab.errors import UserError
from srnlab.time_as_space import overlap, shift_overlaps, shifted, window_inputs


def test_window_rows_hold_the_last_inputs_oldest_first():
    inputs = np.arange(1, 6, dtype=float)[:, None] * np.array([[1.0, 10.0]])  # (5, 2)
    windows = window_inputs(inputs, 3)
    assert windows.shape == (5, 6)
    assert windows[0].tolist() == [0, 0, 0, 0, 1, 10]
    assert windows[4].tolist() == [3, 30, 4, 40, 5, 50]
    assert np.array_equal(window_inputs(inputs, 1), inputs)


def test_the_lectures_shifted_pattern_has_no_overlap():
    first = np.array([0, 1, 1, 0, 0, 0])
    assert shifted(first, 2).tolist() == [0, 0, 0, 1, 1, 0]
    assert overlap(first, shifted(first, 2)) == 0.0
    assert overlap(first, shifted(first, 1)) == pytest.approx(0.5)
    assert shift_overlaps(first, 3).tolist() == pytest.approx([1.0, 0.5, 0.0, 0.0])


def test_bad_windows_are_refused():
    with pytest.raises(UserError, match="width must be >= 1"):
        window_inputs(np.zeros((3, 1)), 0)
    with pytest.raises(UserError, match="must be \\(steps, units\\)"):
        window_inputs(np.zeros(3), 2)
