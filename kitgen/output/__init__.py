"""Stage 4, output: plan where every file goes, render (here or in a process pool), write
each file whole or not at all, and pre-fill copies for a batch of candidates."""
