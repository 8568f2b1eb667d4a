"""CM Ethics: the course's Python package.

One module per concern: ``corpus`` (the five sources as tidy tables), ``text`` (pronouns and
possessives), ``threads`` (reply structure), ``course`` (the course's own data: codebook, role
definitions, cases), ``answers`` (students' saved work), ``widgets`` (the exercises) and
``classroom`` (the class report). Importing the package stays light: modules load on first use.
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
