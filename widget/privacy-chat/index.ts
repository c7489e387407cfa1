import { PrivacyChat } from "./privacy-chat.js";

export { PrivacyChat };
export type { PrivacyChatAnswerDetail, PrivacyChatRequestCreatedDetail } from "./privacy-chat.js";

if (!customElements.get("privacy-chat")) customElements.define("privacy-chat", PrivacyChat);
