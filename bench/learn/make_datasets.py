"""Writes the learners benchmark's datasets as CSV, once, for both sides (Keel and scikit-learn) to read.

Run with Debian's Python, which has scikit-learn 1.2.1 (the `python3` on PATH may not):

    /usr/bin/python3 bench/learn/make_datasets.py bench/.data/learn

Every file has feature columns f0..f{n-1}, an integer `target` and a `split` column ("train"/"test"):
- breast_cancer, digits, wine: the copies bundled with scikit-learn (no download), split 80/20 stratified
  by class with train_test_split(test_size=0.2, stratify=y, random_state=0).
- big: make_classification(n_samples=250_000, n_features=20, n_informative=12, random_state=1), as
  /work/shared/bench/learn/sklearn_baseline.py makes it: the first 200,000 rows train, the last 50,000 test.
Values are written as Python's repr (the shortest text that reads back as the same float64), so both
sides parse exactly the numbers scikit-learn made.
"""
import os
import sys

import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_digits, load_wine, make_classification
from sklearn.model_selection import train_test_split


def write(path, X, y, is_test):
    n, d = X.shape
    header = ",".join([f"f{j}" for j in range(d)] + ["target", "split"])
    split = np.where(is_test, "test", "train")
    tmp = path + ".tmp"
    with open(tmp, "w") as out:
        out.write(header + "\n")
        # One formatted block per chunk of rows keeps this to seconds for 250,000 rows.
        for start in range(0, n, 10_000):
            stop = min(n, start + 10_000)
            lines = [
                ",".join([repr(float(v)) for v in X[i]] + [str(int(y[i])), split[i]])
                for i in range(start, stop)
            ]
            out.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def small(loader):
    X, y = loader(return_X_y=True)
    idx = np.arange(len(y))
    _, test_idx = train_test_split(idx, test_size=0.2, stratify=y, random_state=0)
    is_test = np.zeros(len(y), dtype=bool)
    is_test[test_idx] = True
    return X, y, is_test


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", ".data", "learn")
    os.makedirs(out_dir, exist_ok=True)
    for name, loader in [("breast_cancer", load_breast_cancer), ("digits", load_digits), ("wine", load_wine)]:
        X, y, is_test = small(loader)
        write(os.path.join(out_dir, f"{name}.csv"), X, y, is_test)
    X, y = make_classification(n_samples=250_000, n_features=20, n_informative=12, random_state=1)
    is_test = np.arange(len(y)) >= 200_000
    write(os.path.join(out_dir, "big.csv"), X, y, is_test)
    with open(os.path.join(out_dir, "VERSION"), "w") as out:
        out.write(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}\n")


if __name__ == "__main__":
    main()
