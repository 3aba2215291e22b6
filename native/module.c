/* The module _warden_speedups: its types, each in a file of its own (speedups.h lists them). */
#include "spellings.h"

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_warden_speedups",
    .m_doc = PyDoc_STR("Compiled pieces of Genre Warden's rule engine; bot.rules works without them, slower."),
    .m_size = -1,
};

static int
add_type(PyObject *module, const char *name, PyTypeObject *type)
{
    if (PyType_Ready(type) < 0) {
        return -1;
    }
    Py_INCREF(type);
    if (PyModule_AddObject(module, name, (PyObject *)type) < 0) {
        Py_DECREF(type);
        return -1;
    }
    return 0;
}

PyMODINIT_FUNC
PyInit__warden_speedups(void)
{
    spellings_prepare();
    PyObject *module = PyModule_Create(&speedups_module);
    if (module == NULL) {
        return NULL;
    }
    if (add_type(module, "Dfa", &DfaType) < 0 || add_type(module, "KeyFinder", &KeyFinderType) < 0) {
        Py_DECREF(module);
        return NULL;
    }
    return module;
}
