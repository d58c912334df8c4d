"""One module per model family; each is registered in ``json_models._registry.CODECS``."""
