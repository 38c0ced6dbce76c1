import { graphql } from '../gql';

// The search box's suggestions and the filter sheet's choices.

export const SearchSuggestionsQuery = graphql(`
  query SearchSuggestions($libraryId: ID!, $text: String!, $first: Int) {
    searchSuggestions(libraryId: $libraryId, text: $text, first: $first) {
      kind id label tagType photoCount
    }
  }
`);

export const FilterChoicesQuery = graphql(`
  query FilterChoices($libraryId: ID!) {
    cameras(libraryId: $libraryId) { camera { id make model } photoCount }
    lenses(libraryId: $libraryId) { lens { id name } photoCount }
  }
`);
