"""Companies: the list a viewer may see, a company's page (its position on each platform, its
submissions, the consultants it lets read them)."""
