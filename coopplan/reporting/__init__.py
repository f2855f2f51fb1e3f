"""The plan's life: who owes a report for which quarter, whether it came, and what the
reports say of each action (its status, progress and indicators, and where the two
sides disagree)."""
