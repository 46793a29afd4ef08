"""Analyses computed once per module and read by every codemod.

``analyze(wrapper, options)`` returns the :class:`ModuleAnalysis` of the module a codemod is
visiting. Codemods reach it as ``self.analysis``; they never re-derive these facts themselves.
"""
