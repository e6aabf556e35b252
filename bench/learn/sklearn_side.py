"""The scikit-learn side of `npm run bench -- learn`: fits one learner on one dataset CSV written by
make_datasets.py and prints one JSON line with held-out accuracy and AUC, fit time and predict_proba time.

    /usr/bin/python3 bench/learn/sklearn_side.py DATA.csv LEARNER FIT_REPEATS PREDICT_ROWS PREDICT_REPEATS

LEARNER is logreg, tree, rf or gbdt, with the hyperparameters of /work/shared/bench/learn/sklearn_baseline.py
(and scikit-learn's defaults otherwise). The prediction batch is the test rows repeated until PREDICT_ROWS
rows, exactly as the Keel side builds it; predict_proba is timed after one warm-up call.
"""
import json
import statistics
import sys
import time
import warnings

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.tree import DecisionTreeClassifier

LEARNERS = {
    "logreg": lambda: LogisticRegression(max_iter=1000),
    "tree": lambda: DecisionTreeClassifier(random_state=0),
    "rf": lambda: RandomForestClassifier(n_estimators=100, n_jobs=2, random_state=0),
    "gbdt": lambda: HistGradientBoostingClassifier(random_state=0),
}


def load(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    features = len(header) - 2
    data = np.loadtxt(path, delimiter=",", skiprows=1, usecols=range(features + 1))
    split = np.loadtxt(path, delimiter=",", skiprows=1, usecols=[features + 1], dtype=str)
    X, y = data[:, :features], data[:, features].astype(np.int64)
    test = split == "test"
    return X[~test], y[~test], X[test], y[test]


def main():
    path, learner, fit_repeats, predict_rows, predict_repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    Xtr, ytr, Xte, yte = load(path)
    fit_times = []
    warned = []
    for _ in range(fit_repeats):
        model = LEARNERS[learner]()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            started = time.perf_counter()
            model.fit(Xtr, ytr)
            fit_times.append(time.perf_counter() - started)
        warned += [str(w.message).splitlines()[0] for w in caught if issubclass(w.category, ConvergenceWarning)]
    proba = model.predict_proba(Xte)
    accuracy = accuracy_score(yte, model.classes_[np.argmax(proba, axis=1)])
    auc = roc_auc_score(yte, proba[:, 1]) if proba.shape[1] == 2 else roc_auc_score(yte, proba, multi_class="ovr")
    batch = np.ascontiguousarray(np.resize(Xte, (predict_rows, Xte.shape[1])))
    model.predict_proba(batch)
    predict_times = []
    for _ in range(predict_repeats):
        started = time.perf_counter()
        model.predict_proba(batch)
        predict_times.append(time.perf_counter() - started)
    extra = {}
    if learner == "gbdt":
        extra["iterations"] = int(model.n_iter_)
    if learner == "logreg":
        extra["iterations"] = int(np.max(model.n_iter_))
    if learner == "tree":
        extra["depth"] = int(model.get_depth())
        extra["leaves"] = int(model.get_n_leaves())
    print(json.dumps({
        "learner": learner,
        "sklearn": sklearn.__version__,
        "trainRows": int(len(ytr)),
        "testRows": int(len(yte)),
        "accuracy": float(accuracy),
        "auc": float(auc),
        "fitS": statistics.median(fit_times),
        "fitRuns": fit_times,
        "predictS": statistics.median(predict_times),
        "predictRuns": predict_times,
        "convergenceWarning": warned[0] if warned else None,
        **extra,
    }))


if __name__ == "__main__":
    main()
