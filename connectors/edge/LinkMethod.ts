// How an Edge customer came to be linked to its Shopify customer (`customer_web_links.link_method`).
import { Schema } from "effect"

/**
 * `upload`: created in Shopify from an "Assign to Web Upload"; `email` / `phone`: matched to an
 * existing customer on that key; `created`: an Edge customer edgesync created from a Shopify customer;
 * `manual`: linked by a person (`edgesync customers link`).
 */
export const LinkMethod = Schema.Literal("upload", "email", "phone", "created", "manual")
export type LinkMethod = typeof LinkMethod.Type
