"""Every fixed piece of text the assistant says or sends to a model, reviewed like code."""

# The one phrase for "not in the articles": used by answers, by the LLM prompt, by the code
# that detects an LLM abstaining, and by the tests.
CANNOT_ANSWER = "The articles do not contain the answer to this question."
