"""Reference values for the drift benchmark's check: scipy.stats.ks_2samp's statistic and p-value and the
baseline's numpy PSI (the same function as scipy_baseline.py) for all 20 columns, read from the files
make_data.py wrote. Prints one JSON list. Usage: scipy_exact.py N DATA_DIR"""
import sys, json, os, numpy as np
from scipy import stats
n, d = int(sys.argv[1]), sys.argv[2]
ref = np.fromfile(os.path.join(d, f"ref-{n}.f64"), dtype="<f8").reshape(20, n)
cur = np.fromfile(os.path.join(d, f"cur-{n}.f64"), dtype="<f8").reshape(20, n)
def psi(a, b, bins=10, eps=1e-4):
    edges = np.unique(np.quantile(a, np.linspace(0, 1, bins + 1)))
    edges[0], edges[-1] = -np.inf, np.inf
    pa = np.histogram(a, edges)[0] / len(a); pb = np.histogram(b, edges)[0] / len(b)
    pa = np.clip(pa, eps, None); pb = np.clip(pb, eps, None)
    return float(np.sum((pb - pa) * np.log(pb / pa)))
out = []
for j in range(20):
    r = stats.ks_2samp(ref[j], cur[j])
    out.append({"ks": float(r.statistic), "p": float(r.pvalue), "psi": psi(ref[j], cur[j])})
print(json.dumps(out))
