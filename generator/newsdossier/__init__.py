"""Static explainer-dossier generator.

A pure core turns ``seeds/`` (articles) plus ``content/`` (YAML annotations) into a mapping
``{page path: markdown}``; thin adapters hand that mapping to MkDocs (``plugin``) or to
the command line (``cli``).
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
