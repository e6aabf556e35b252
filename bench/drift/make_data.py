"""Writes the drift benchmark's arrays exactly as /work/shared/bench/drift/scipy_baseline.py generates them, as raw
little-endian float64, column-major (column j of `ref` is values j*n .. (j+1)*n - 1). Usage: make_data.py N OUT_DIR"""
import sys, os, numpy as np
n, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(0)
ref = rng.normal(size=(n, 20)); cur = rng.normal(size=(n, 20)); cur[:, 0] += 0.05; cur[:, 3] *= 1.1
os.makedirs(out, exist_ok=True)
for name, a in (("ref", ref), ("cur", cur)):
    tmp = os.path.join(out, f"{name}-{n}.f64.tmp")
    np.ascontiguousarray(a.T, dtype="<f8").tofile(tmp)
    os.replace(tmp, os.path.join(out, f"{name}-{n}.f64"))
