"""Reference data Souk ships: craft branches, crafts and the handicraft HS codes, in three languages."""
