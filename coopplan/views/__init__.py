"""What pages show, computed without Streamlit: the actions as a frame, the filters
of the URL, headline figures, charts, tables and texts in the view's language."""
