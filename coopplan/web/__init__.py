"""The dashboard as a web service: sign-in that lasts, private deployments, the JSON API,
the live calendar and direct document links, served beside the pages by ``st.App``.

``sessions``, ``requests`` and ``signin_page`` are plain Python (the pages and the
command line use them too); Starlette and Streamlit are imported only by ``server``,
``routes`` and ``middleware``.
"""
