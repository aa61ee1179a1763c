"""``python -m bench.themes``: similar-idea look-ups and theme refreshes at 46,000 ideas."""
from bench.themes.run import main

if __name__ == "__main__":
    main()
