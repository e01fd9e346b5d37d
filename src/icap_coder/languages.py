"""The languages icap can match in: a spaCy tokenizer and lemma tables exist for each."""

SUPPORTED_LANGUAGES = {"nl": "Dutch", "en": "English", "sv": "Swedish"}
