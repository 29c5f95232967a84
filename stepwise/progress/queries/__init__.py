"""What the journey's pages read: `learner.py` for learners' own pages; staff pages have
their own modules. Every query here starts from the person or their Trust, so nothing out of
reach can appear, and each page's query count stays the same however much it lists."""
