"""Text: normalisation, the jieba tokenizer and fact extraction (layer 1, above the core modules).

``normalize`` turns a raw complaint into the form the model sees (training and answering alike),
``tokenizer`` splits it into words, ``facts`` pulls out amounts, dates, order numbers and
platforms for the advice. Nothing here knows a model.
"""
