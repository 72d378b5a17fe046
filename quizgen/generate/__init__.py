"""Generation: templates x facts -> questions (expand), and the question
files `quizgen generate` writes (write)."""
