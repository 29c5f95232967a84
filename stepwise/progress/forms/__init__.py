"""Forms of the journey's pages: `learner.py` for learners; staff pages have their own."""
