"""MedCalc-Bench forensics: relabelling from entities, v1.0 bug emulations and causes, errata."""
