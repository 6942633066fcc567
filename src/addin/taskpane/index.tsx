// The task pane bundle; filled in with the add-in.
export {};
