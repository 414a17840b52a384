"""Pure business-time maths and the Russian production calendar; no Django here."""
