// The portal bundle; filled in with the portal.
export {};
