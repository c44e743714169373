"""Modal dialogs that return a value (ModalScreen[T])."""
