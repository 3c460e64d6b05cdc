"""The user guide: chapters in Markdown, their pages, search and the handout."""
