"""Evaluation metrics: classification (graders) and TREC ranking (trial retrieval runs)."""

from ehrmind_rewards.metrics.classification import (
    ClassificationReport,
    accuracy,
    balanced_accuracy,
    classification_report,
    cohen_kappa,
    confusion_matrix,
    macro_precision_recall_f1,
)
from ehrmind_rewards.metrics.ranking import (
    RunEvaluation,
    evaluate_run,
    ndcg_at_k,
    precision_at_k,
    qrels_mapping,
    ranked,
    read_run,
    reciprocal_rank,
)

__all__ = [
    "ClassificationReport",
    "RunEvaluation",
    "accuracy",
    "balanced_accuracy",
    "classification_report",
    "cohen_kappa",
    "confusion_matrix",
    "evaluate_run",
    "macro_precision_recall_f1",
    "ndcg_at_k",
    "precision_at_k",
    "qrels_mapping",
    "ranked",
    "read_run",
    "reciprocal_rank",
]
