"""Post-award: the award case opened by the "award" transition, its reports, modifications and match.

``machine`` (the stage machine), ``selectors`` (reads), ``services`` (writes), and the web and API layers over
them (``views``, ``forms``, ``exports``, ``api``, ``serializers``). The models stay in ``grants.models``.
"""
