//! placeholder: the Huawei chain (being written)
