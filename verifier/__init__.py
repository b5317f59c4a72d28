"""verifier: check quotes and claims attributed to other outlets against the originals.

    from verifier import verify_article, verify_claim
    report = verify_article(text, sources={"Guardian": "https://www.theguardian.com/..."})
"""

__version__ = "0.1.0"
