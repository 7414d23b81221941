"""The pieces of the Gradio web app that ``app.py`` composes.

``render`` turns answers into escaped HTML, ``forms`` parses what users type, ``uploads``
stages uploaded files, ``auth`` reads the login setting, and ``chat`` and ``documents``
build the two tabs with their handlers. Everything here talks only to the public
``assistant`` API.
"""
