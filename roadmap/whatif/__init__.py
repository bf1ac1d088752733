"""What-if plans (issue 15, part 1): a sandbox of a company's plan, re-reconciled on each
change beside the submitted plan, a catch-up plan, private drafts and their submission."""
