"""Changing the plan safely: accounts and rights, the edit form's values, the one
writer (the store: atomic saves, conflicts) and the history that undoes any change."""
