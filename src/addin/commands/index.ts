// The on-send handler bundle; filled in with the add-in.
export {};
