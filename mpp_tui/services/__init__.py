"""Services: one transaction per call, frozen views out, roles enforced here."""
