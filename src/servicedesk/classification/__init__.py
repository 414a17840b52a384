"""Service suggestions for new requests: the Django side of the service classifier.

The model itself (text normalisation, training, evaluation) is the pure package
`servicedesk.routing.classifier`; this app keeps its versions, settings and the labels
people give, trains and serves it.
"""
