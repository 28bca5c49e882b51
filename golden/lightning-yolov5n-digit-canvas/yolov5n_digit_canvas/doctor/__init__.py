"""`python doctor.py`: is this machine ready to train? One check per file, each a
finding (findings.py) with its fix; checks.py runs them in order."""
