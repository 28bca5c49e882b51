"""STAND-IN until lexport's exporting/ is merged: the names of the contract only."""
