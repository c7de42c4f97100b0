"""converter/windows.py: TFLite's SAME / VALID geometry on hand-checked sizes."""
import numpy as np
import pytest

from mote.converter.windows import Window2D, average_pool_2d, window


@pytest.mark.parametrize("size,k,stride,dilation,padding,want", [
    (5, 3, 1, 1, "SAME", (5, 1, 1)),
    (4, 2, 1, 1, "SAME", (4, 0, 1)),      # odd padding goes after
    (7, 3, 2, 1, "SAME", (4, 1, 1)),
    (6, 3, 2, 1, "SAME", (3, 0, 1)),
    (5, 3, 1, 2, "SAME", (5, 2, 2)),      # effective window 5
    (5, 3, 1, 1, "VALID", (3, 0, 0)),
    (7, 3, 2, 2, "valid", (2, 0, 0)),
])
def test_window(size, k, stride, dilation, padding, want):
    assert window(size, k, stride, dilation, padding) == want


def test_window_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match="does not fit"):
        window(2, 3, 1, 1, "VALID")
    with pytest.raises(ValueError, match="expected 'SAME' or 'VALID'"):
        window(4, 3, 1, 1, "FULL")


def test_average_pool_counts_only_the_input():
    x = np.arange(4, dtype=np.float64).reshape(1, 2, 2, 1)
    y, _ = average_pool_2d(np, x, Window2D(x.shape, (2, 2), (1, 1), padding="SAME"))
    assert y[0, :, :, 0].tolist() == [[1.5, 2.0], [2.5, 3.0]]
