"""Mail: reminders of the reports an account owes around a quarter's due date, notices
of what happened (a report returned, submitted, accepted; a disagreement; a quarter
closed; the plan approved), rendered in each recipient's language, kept in an outbox
log so each goes once, and sent by SMTP (``python -m coopplan notify``).

``recipients`` reads who gets mail; ``reminders`` and ``events`` decide what each
gets; ``mail`` renders it; ``outbox`` keeps the log and delivers through ``smtp``;
``run`` is the daily run and the preview the coordinators' page shows.
"""
