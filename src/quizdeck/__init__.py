"""quizdeck: question banks in TOML for terminal quizzes, spaced-repetition review and Anki export."""

__version__ = "0.1.0"
