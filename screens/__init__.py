"""The Textual UI of fieldwelfare (installed as ``fieldwelfare.screens``)."""
