#include "store/meta_store.h"

namespace datafast::store {

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kOwner:
      return "owner";
    case Role::kAdmin:
      return "admin";
    case Role::kViewer:
      return "viewer";
  }
  return "viewer";
}

std::optional<Role> ParseRole(std::string_view s) {
  if (s == "owner") return Role::kOwner;
  if (s == "admin") return Role::kAdmin;
  if (s == "viewer") return Role::kViewer;
  return std::nullopt;
}

}  // namespace datafast::store
