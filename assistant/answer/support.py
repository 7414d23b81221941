"""How well a sentence of a passage supports a claim (or answers a question).

The score blends the embedding model's cosine similarity with term overlap, because
each catches what the other misses: paraphrase for the first, names and numbers for the
second. Both the extractive answerer and the citation verifier use it, so a threshold
calibrated once means the same thing in both.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from assistant.answer.sentences import overlap, terms
from index.embed.factory import ArrayEmbedder

COSINE_WEIGHT = 0.6
OVERLAP_WEIGHT = 0.4


class SupportScorer:
    """Scores candidate sentences against a claim with cosine similarity and term overlap."""

    def __init__(self, embedder: ArrayEmbedder) -> None:
        self.embedder = embedder
        self._vectors: dict[str, np.ndarray] = {}  # one scorer serves one answer

    def vectors(self, sentences: Sequence[str]) -> np.ndarray:
        """Embeddings of ``sentences``; each distinct text is embedded once per scorer."""
        missing = list(dict.fromkeys(s for s in sentences if s not in self._vectors))
        if missing:
            for text, vector in zip(missing, self.embedder.embed_array(missing), strict=True):
                self._vectors[text] = vector
        return np.stack([self._vectors[s] for s in sentences])

    def lexical(self, claim: str, sentences: Sequence[str]) -> np.ndarray:
        """Term-overlap share of the claim's content terms found in each sentence."""
        claim_terms = terms(claim)
        return np.array([overlap(claim_terms, terms(s)) for s in sentences], dtype=np.float32)

    @staticmethod
    def combine(cosine: np.ndarray, lexical: np.ndarray) -> np.ndarray:
        """The support score from clipped cosine similarities and term overlaps."""
        return (COSINE_WEIGHT * cosine + OVERLAP_WEIGHT * lexical).astype(np.float32)

    def score(
        self,
        claim: str,
        sentences: Sequence[str],
        lexical: np.ndarray | None = None,
        vectors: np.ndarray | None = None,
    ) -> np.ndarray:
        """Support score of each sentence for ``claim``, roughly in [0, 1].

        ``vectors`` are the sentences' embeddings when the caller already has them.
        """
        if not sentences:
            return np.zeros(0, dtype=np.float32)
        if vectors is None:
            vectors = self.vectors(sentences)
        cosine = np.clip(vectors @ self.embedder.embed_one(claim), 0.0, 1.0)
        lex = self.lexical(claim, sentences) if lexical is None else lexical
        return self.combine(cosine, lex)
