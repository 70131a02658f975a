"""Fitted parameters of :func:`tolmach.confidence.combine`. Written by ``bench/confidence_fit.py``;
do not edit by hand (rerun the script)."""

# Placeholder until the fit runs: a plain average-log-probability model.
PARAMS = {
    "default": {
        "bias": -0.5,
        "mean": [-1.0, -5.0, 0.2, -1.0, 0.0, 0.05, 0.05, 0.0, 3.0],
        "scale": [1.0, 3.0, 0.2, 1.0, 0.2, 0.1, 0.1, 0.05, 0.6],
        "weight": [0.5, 0.2, -0.2, 0.1, 0.0, -0.1, -0.1, -0.1, -0.1],
    },
}
