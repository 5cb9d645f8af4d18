"""Math: TeX as papers write it, made MathML by Pandoc, put in words by rules of our own.

``mathml`` converts every formula of an article in one Pandoc run and keeps only MathML;
``spoken`` reads MathML aloud (the same words are the alt text of every edition); ``markup``
gives the ``<math>`` element the HTML editions show.
"""
