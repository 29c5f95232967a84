"""Every change to training packages, completions and Trusts' training rules: one function,
one transaction, an event each."""
