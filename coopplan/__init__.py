"""Data layer and logic of the Pavlodar–Omsk cooperation plan dashboard."""
